// libFuzzer target: any bytes as a journal of 2024-11-05 (the date of the seeds) — split into lines, CRC, parse,
// chain, values, index — then every record's display line and filters. Nothing may trap. And every line's JSON
// that the plain prediction reader accepts must decode through JSONDecoder to exactly the same record.
// Built by Ops/fuzz.sh with PropcastJournal's sources and those it depends on.

import Foundation

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
    for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) where line.count > 9 {
        comparePlainReading(line.dropFirst(9))
    }
    return 0
}

/// Traps when the plain reader accepts `json` and JSONDecoder reads it otherwise (or not at all).
private func comparePlainReading(_ json: ArraySlice<UInt8>) {
    guard let plain = JournalRecord(plainPrediction: json) else { return }
    guard let reference = try? JSONDecoder().decode(JournalRecord.self, from: Data(json)), reference == plain else {
        fatalError("the plain reader and JSONDecoder disagree on \(String(decoding: json, as: UTF8.self))")
    }
    if case .prediction(let left) = plain.entry, case .prediction(let right) = reference.entry {
        let cases = { (row: PredictionRow) in row.extras.sorted { $0.key < $1.key }.map { String(reflecting: $0.value) } }
        precondition(cases(left) == cases(right), "extras read as other cases: \(String(decoding: json, as: UTF8.self))")
        precondition([left.predictedPoints, left.confidenceScore].map(\.bitPattern)
                     == [right.predictedPoints, right.confidenceScore].map(\.bitPattern), "numbers differ in sign or bits")
    }
}
