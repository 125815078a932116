// libFuzzer target: any bytes as a journal of 2024-11-05 (the date of the seeds) — split into lines, CRC, parse,
// chain, values, index — then every record's display line and filters. Nothing may trap.
// Built by Ops/fuzz.sh with PropcastJournal's sources and those it depends on.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournal(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let contents = JournalReader.scan(bytes: bytes, path: "fuzz.journal", date: GameDate("2024-11-05")!)
    for record in contents.records {
        _ = record.displayLine
        _ = record.concerns(player: PlayerLookup("player1"))
        _ = record.concerns(system: .xgboost)
    }
    _ = "\(contents.verdict)"
    _ = contents.index.currentCounts
    return 0
}
