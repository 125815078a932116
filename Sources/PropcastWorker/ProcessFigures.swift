import Foundation

/// This process's figures for the `propcast_process_*` metrics, read from `/proc/self`.
enum ProcessFigures {
    /// Resident memory in bytes (`/proc/self/statm`, second field × page size).
    static var residentBytes: Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Open file descriptors (entries of `/proc/self/fd`).
    static var openDescriptors: Double {
        Double((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0)
    }

    /// When the process started, in Unix seconds (boot time + start ticks of `/proc/self/stat`).
    static let startTime: Double = {
        let now = Date().timeIntervalSince1970
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let afterName = stat.range(of: ") ", options: .backwards)?.upperBound,  // the name may hold ") "
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let uptime = uptimeText.split(separator: " ").first.flatMap({ Double($0) }) else { return now }
        // Fields after the command name start at field 3; starttime is field 22.
        let fields = stat[afterName...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return now }
        let boot = now - uptime
        return boot + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }()
}
