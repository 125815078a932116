import NIOCore
import NIOPosix
@testable import PropcastTLS
import Testing

@Suite struct TLSConnectionStateMachineTests {
    typealias Machine = TLSConnectionStateMachine

    func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func writesBeforeTheHandshakeAreHeldThenEncrypted() {
        var machine = Machine()
        #expect(machine.write(bytes("a"), promise: nil) == .hold)
        #expect(machine.channelActive() == .startHandshake)
        #expect(machine.channelActive() == .none)
        #expect(machine.write(bytes("b"), promise: nil) == .hold)
        #expect(machine.handshakeCompleted() == .sendHeldWritesAndAnnounce(
            writes: [Machine.HeldWrite(plaintext: bytes("a")), Machine.HeldWrite(plaintext: bytes("b"))], flush: true))
        #expect(machine.write(bytes("c"), promise: nil) == .encrypt(bytes("c"), nil))
    }

    @Test func heldWritesKeepTheirOrderAndTheirOwnPromises() {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let promises = (0..<3).map { _ in loop.makePromise(of: Void.self) }
        var machine = Machine()
        _ = machine.channelActive()
        for (index, promise) in promises.enumerated() {
            #expect(machine.write(bytes("frame \(index)"), promise: promise) == .hold)
        }
        guard case .sendHeldWritesAndAnnounce(let writes, _) = machine.handshakeCompleted() else {
            Issue.record("expected the held writes")
            return
        }
        #expect(writes.map(\.plaintext) == [bytes("frame 0"), bytes("frame 1"), bytes("frame 2")])
        #expect(writes.compactMap(\.promise) == promises)
        for promise in promises { promise.succeed() }
    }

    @Test func aFlushDuringTheHandshakeIsHeldUntilItCompletes() {
        var machine = Machine()
        _ = machine.channelActive()
        #expect(machine.flush() == .hold)
        #expect(machine.handshakeCompleted() == .sendHeldWritesAndAnnounce(writes: [], flush: true))
        #expect(machine.flush() == .flush)
    }

    @Test func aHandshakeWithNothingHeldNeedsNoFlush() {
        var machine = Machine()
        _ = machine.channelActive()
        #expect(machine.handshakeCompleted() == .sendHeldWritesAndAnnounce(writes: [], flush: false))
        #expect(machine.handshakeCompleted() == .ignore)
    }

    @Test func failedHandshakeHandsBackTheHeldWritesToFail() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.write(bytes("hello"), promise: nil)
        #expect(machine.failed() == .failAndClose(heldWrites: [Machine.HeldWrite(plaintext: bytes("hello"))]))
        #expect(machine.write(bytes("late"), promise: nil) == .fail(nil))
        #expect(machine.handshakeCompleted() == .ignore)
        #expect(machine.failed() == .ignore)
        #expect(!machine.acceptsInput)
    }

    @Test func aFailureAfterTheHandshakeClosesOnceAndLaterWritesFail() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.handshakeCompleted()
        #expect(machine.failed() == .failAndClose(heldWrites: []))
        #expect(machine.failed() == .ignore)
        #expect(machine.write(bytes("x"), promise: nil) == .fail(nil))
        #expect(machine.closeRequested() == .forwardClose)
    }

    @Test func closeWhenActiveSendsCloseNotify() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.handshakeCompleted()
        #expect(machine.closeRequested() == .sendCloseNotifyThenClose)
        #expect(machine.closeRequested() == .forwardClose)
        #expect(machine.write(bytes("x"), promise: nil) == .fail(nil))
    }

    @Test func closeDuringHandshakeHandsBackTheHeldWritesToFail() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.write(bytes("hello"), promise: nil)
        #expect(machine.closeRequested() == .failHeldWritesAndClose([Machine.HeldWrite(plaintext: bytes("hello"))]))
        #expect(machine.handshakeCompleted() == .ignore)
    }

    @Test func socketClosingMidHandshakeIsReportedWithTheHeldWrites() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.write(bytes("hello"), promise: nil)
        #expect(machine.channelInactive() == .failHandshake(heldWrites: [Machine.HeldWrite(plaintext: bytes("hello"))]))
        #expect(machine.state == .closed)
        var established = Machine()
        _ = established.channelActive()
        _ = established.handshakeCompleted()
        #expect(established.channelInactive() == .none)
    }

    @Test func socketClosingBeforeItWasActiveFailsOnlyTheHeldWrites() {
        var idle = Machine()
        #expect(idle.channelInactive() == .none)
        var holding = Machine()
        _ = holding.write(bytes("early"), promise: nil)
        #expect(holding.channelInactive() == .failHeldWrites([Machine.HeldWrite(plaintext: bytes("early"))]))
        #expect(holding.channelActive() == .none)
    }

    @Test func removingTheHandlerHandsBackTheHeldWrites() {
        var machine = Machine()
        _ = machine.channelActive()
        _ = machine.write(bytes("hello"), promise: nil)
        #expect(machine.handlerRemoved() == [Machine.HeldWrite(plaintext: bytes("hello"))])
        #expect(machine.handlerRemoved() == [])
        #expect(machine.write(bytes("x"), promise: nil) == .fail(nil))
    }
}
