#ifndef PROPCAST_CLIBPQ_SHIM_H
#define PROPCAST_CLIBPQ_SHIM_H
// The system libpq (Debian libpq-dev): the reference PostgreSQL client, on the system OpenSSL.
#include <libpq-fe.h>
#endif
