/// The service's alerts: which are firing (``AlertBook``) and their delivery (``AlertDelivery``).
public actor AlertCenter {
    private var book: AlertBook
    private let delivery: AlertDelivery

    public init(coordinator: String, delivery: AlertDelivery) {
        self.book = AlertBook(coordinator: coordinator)
        self.delivery = delivery
    }

    /// Raises `condition` of `subject` (sent once until it clears).
    public func raise(_ condition: Alert.Condition, _ subject: String, _ message: String) async {
        if let alert = book.raise(condition, subject, message) { await delivery.send(alert) }
    }

    /// Clears `condition` of `subject` (a "resolved" message when it was firing).
    public func clear(_ condition: Alert.Condition, _ subject: String, _ message: String) async {
        if let alert = book.clear(condition, subject, message) { await delivery.send(alert) }
    }

    /// The alerts firing now.
    public var active: [Alert] { book.active }

    /// Waits until the deliveries under way are done.
    public func waitForDeliveries() async { await delivery.waitForDeliveries() }
}
