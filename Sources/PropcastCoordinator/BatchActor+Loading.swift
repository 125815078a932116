import PropcastModels

extension BatchActor {
    /// Players will arrive in chunks (``add(inputs:plan:)``) while the batch runs, `total` in
    /// all as far as the store knows; call before the first chunk.
    public func beginLoading(expecting total: Int) {
        machine.beginLoading(expecting: total)
    }

    /// Adds one chunk of players with its plan (computed against the journal as opened) and,
    /// with the first chunk, starts dispatching. Players the plan found complete get their
    /// coverage verdict at once and are never sent.
    public func add(inputs chunk: [PlayerInput], plan: BatchPlan) {
        var fresh: [PlayerLookup] = []
        var seen = Set<PlayerLookup>()
        fresh.reserveCapacity(chunk.count)
        for input in chunk where machine.state(of: input.player) == nil && seen.insert(input.player).inserted {
            if let verdict = plan.completed[input.player] {
                coverage.add(input.player, verdict)
                inputs.append(nil)
                expectations.append(nil)
            } else if outcome == nil {
                inputs.append(input)
                tallies.inputHeld()
                expectations.append(plan.expectations[input.player])
                tallies.playersToPredict += 1
            } else {
                inputs.append(nil)  // a stopped batch sends nothing more; coverage still judges the player
                expectations.append(plan.expectations[input.player])
                tallies.playersToPredict += 1
            }
            fresh.append(input.player)
        }
        var actions = machine.add(players: fresh, alreadyComplete: plan.alreadyComplete, now: .now)
        actions += machine.start(alreadyComplete: [], now: .now)
        perform(actions)
    }

    /// Players read after the batch stopped: never sent, judged from the journal already.
    public func recordUnsent(_ verdicts: [(PlayerLookup, CoverageVerdict)]) {
        for (player, verdict) in verdicts where machine.state(of: player) == nil { coverage.add(player, verdict) }
    }

    /// Every chunk was added: the batch finishes once its players are settled.
    public func loadingFinished() {
        perform(machine.loadingFinished(now: .now))
    }

    /// Suspends until fewer than `reserve` players beyond what the workers can hold wait to be
    /// sent (or the batch is over): the store is read no faster than the workers answer, so
    /// the batch holds the inputs of the players in flight and a reserve, not of the date.
    public func waitForRoom(reserve: Int) async {
        if hasRoom(reserve) { return }
        await withCheckedContinuation { roomWaiters.append((reserve, $0)) }
    }

    func hasRoom(_ reserve: Int) -> Bool {
        outcome != nil || machine.unsettledPlayers < machine.sendCapacity + reserve
    }

    func wakeRoomWaiters() {
        guard !roomWaiters.isEmpty else { return }
        let waiting = roomWaiters
        roomWaiters = []
        for entry in waiting {
            if hasRoom(entry.limit) { entry.waiter.resume() } else { roomWaiters.append(entry) }
        }
    }

    /// The coverage verdicts reached so far, and the expected rows of the players still
    /// without one (not answered, being checked, or stopped), to be judged from the journal.
    public var coverageSoFar: (tally: CoverageTally, undecided: [ExpectedPredictions]) {
        (coverage, expectations.compactMap { $0 })
    }
}
