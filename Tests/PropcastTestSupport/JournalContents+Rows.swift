import PropcastJournal
import PropcastModels

extension JournalReader.Contents {
    /// Every `superseded` record, in order.
    public var supersededRecords: [JournalEntry.Superseded] {
        records.compactMap { record in
            if case .superseded(let entry) = record.entry { return entry }
            return nil
        }
    }

    /// Every prediction row in the journal, in order.
    public var predictionRows: [PredictionRow] {
        records.compactMap { record in
            if case .prediction(let row) = record.entry { return row }
            return nil
        }
    }
}
