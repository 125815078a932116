@testable import PropcastTLS
import Testing

@Suite struct TLSConnectionStateMachineTests {
    @Test func writesBeforeTheHandshakeAreBufferedThenEncrypted() {
        var machine = TLSConnectionStateMachine()
        #expect(machine.write() == .buffer)
        #expect(machine.channelActive() == .startHandshake)
        #expect(machine.channelActive() == .none)
        #expect(machine.write() == .buffer)
        #expect(machine.handshakeFinished(succeeded: true) == .notifyAndFlushBufferedWrites)
        #expect(machine.write() == .encrypt)
    }

    @Test func failedHandshakeFailsBufferedWritesAndCloses() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        #expect(machine.handshakeFinished(succeeded: false) == .failAndClose)
        #expect(machine.write() == .fail)
        #expect(machine.handshakeFinished(succeeded: true) == .ignore)
        #expect(!machine.acceptsInput)
    }

    @Test func closeWhenActiveSendsCloseNotify() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        _ = machine.handshakeFinished(succeeded: true)
        #expect(machine.closeRequested() == .sendCloseNotifyThenClose)
        #expect(machine.closeRequested() == .forwardClose)
        #expect(machine.write() == .fail)
    }

    @Test func closeDuringHandshakeFailsBufferedWrites() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        #expect(machine.closeRequested() == .failBufferedWritesAndClose)
    }

    @Test func socketClosingMidHandshakeIsReported() {
        var machine = TLSConnectionStateMachine()
        _ = machine.channelActive()
        #expect(machine.channelInactive() == .failHandshake)
        #expect(machine.state == .closed)
        var established = TLSConnectionStateMachine()
        _ = established.channelActive()
        _ = established.handshakeFinished(succeeded: true)
        #expect(established.channelInactive() == .none)
    }
}
