// Swift cannot import OpenSSL's function-like macros; these inline wrappers expose the
// few Propcast needs. Everything else is imported directly from the OpenSSL 3 headers.
#ifndef PROPCAST_COPENSSL_SHIM_H
#define PROPCAST_COPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/crypto.h>

static inline long propcast_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long propcast_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline long propcast_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long propcast_BIO_ctrl_pending(BIO *bio) {
    return (long)BIO_ctrl_pending(bio);
}

static inline long propcast_SSL_CTX_get0_chain_certs(SSL_CTX *ctx, STACK_OF(X509) **chain) {
    return SSL_CTX_get0_chain_certs(ctx, chain);
}

static inline int propcast_TLS1_2_VERSION(void) { return TLS1_2_VERSION; }
static inline int propcast_TLS1_3_VERSION(void) { return TLS1_3_VERSION; }

static inline long propcast_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline long propcast_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER(void) { return SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER; }

static inline int propcast_SSL_VERIFY_PEER_FAIL_IF_NO_CERT(void) {
    return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
}

/// The stack of subject-alternative names of a certificate (caller frees with
/// GENERAL_NAMES_free), or NULL.
static inline GENERAL_NAMES *propcast_X509_get_subject_alt_names(X509 *cert) {
    return (GENERAL_NAMES *)X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
}

static inline int propcast_sk_GENERAL_NAME_num(const GENERAL_NAMES *names) {
    return sk_GENERAL_NAME_num(names);
}

static inline GENERAL_NAME *propcast_sk_GENERAL_NAME_value(const GENERAL_NAMES *names, int i) {
    return sk_GENERAL_NAME_value(names, i);
}

/// Frees a GENERAL_NAMES stack returned by propcast_X509_get_subject_alt_names.
static inline void propcast_GENERAL_NAMES_free(GENERAL_NAMES *names) {
    GENERAL_NAMES_free(names);
}

/// Adds every certificate of a stack to an X509 store (used for CA bundles).
static inline int propcast_sk_X509_INFO_num(const STACK_OF(X509_INFO) *s) { return sk_X509_INFO_num(s); }
static inline X509_INFO *propcast_sk_X509_INFO_value(const STACK_OF(X509_INFO) *s, int i) { return sk_X509_INFO_value(s, i); }
static inline void propcast_sk_X509_INFO_pop_free(STACK_OF(X509_INFO) *s) { sk_X509_INFO_pop_free(s, X509_INFO_free); }

#endif
