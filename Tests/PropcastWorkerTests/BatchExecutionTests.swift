import PropcastModels
import PropcastWire
import PropcastWorker
import PropcastTestSupport
import Testing

/// PredictBatch through the engine executor and a real worker server (loopback TLS).
@Suite(.realProcesses) struct BatchExecutionTests {
    @Test func aBatchIsAnsweredInOrderWithTheEnginesRowsAndAMalformedRequestInItsPlace() async throws {
        let registry = try WorkerFixture.registry()
        let executor = EnginePredictionExecutor(registry: registry)
        let inputs = [WorkerFixture.input(), WorkerFixture.input(lines: []), WorkerFixture.input(lines: [30.5])]
        var requests = inputs.enumerated().map { WirePredictRequest($1, requestID: UInt64(10 + $0)) }
        requests[1].gameDate = "15/01/2025"
        let answer = await executor.execute(batch: requests)
        #expect(answer.answers.count == 3)
        let direct = PredictionEngine(registry: registry)
        for index in [0, 2] {
            guard case .result(let result)? = answer.answers[index].answer else {
                Issue.record("answer \(index) is not a result: \(answer.answers[index])")
                continue
            }
            #expect(result.requestID == UInt64(10 + index))
            let input = inputs[index]
            let decoded = try result.decoded(player: input.player, gameDate: input.gameDate, gameID: input.gameID)
            #expect(decoded.rows.map(\.bitExactKey) == direct.predict(input).rows.map(\.bitExactKey))
        }
        guard case .rejected(let rejected)? = answer.answers[1].answer else {
            Issue.record("answer 1 is not a rejection: \(answer.answers[1])")
            return
        }
        #expect(rejected.requestID == 11 && rejected.code == .invalidRequest && !rejected.retryable)
        #expect(rejected.message.contains("game_date '15/01/2025' is not YYYY-MM-DD"))
    }

    @Test func aRealWorkerAnswersABatchInOneFrameAndAnnouncesItsLimit() async throws {
        let executor = EnginePredictionExecutor(registry: try WorkerFixture.registry())
        let worker = try await InProcessWorker.start(slots: 1, executor: executor)
        defer { Task { await worker.server.stop() } }
        try await worker.withSession { session in
            #expect(session.worker.maxBatchRequests == 64)
            var batch = WirePredictBatch()
            batch.requests = (1...20).map { WirePredictRequest(WorkerFixture.input(), requestID: UInt64($0)) }
            try await session.send(Envelope(.predictBatch(batch)))
            guard case .batchAnswer(let answer) = try await session.nextAnswer() else {
                Issue.record("expected one batch answer")
                return
            }
            #expect(answer.answers.map(\.result.requestID) == Array(1...20))
            #expect(answer.answers.allSatisfy { $0.result.predictions.count == SystemID.all.count * 2 })
        }
    }
}
