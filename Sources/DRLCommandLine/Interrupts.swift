import Foundation
import Dispatch
import DRLExperiment

/// Ctrl-C (SIGINT) and SIGTERM during `run` or `merge`: stop at once and leave nothing behind.
///
/// Results are kept in memory until every run has finished, so the only files a command has on
/// disk while it works are the temporary folder of a result set being written. The handler
/// removes those (restoring a previous set that was moved aside), prints one line and exits
/// with 130 (SIGINT) or 143 (SIGTERM); worker threads end with the process.
final class Interrupts: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let destinations: [String]

    /// Handles SIGINT and SIGTERM for a command writing to `destinations`.
    init(destinations: [String]) {
        self.destinations = destinations
        for (sig, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            let dests = destinations
            src.setEventHandler {
                for d in dests { ResultSet.abandonWrite(to: d) }
                FileHandle.standardError.write(Data("\ndrlsim: interrupted; nothing was written\n".utf8))
                _exit(code)
            }
            src.resume()
            sources.append(src)
        }
    }
}
