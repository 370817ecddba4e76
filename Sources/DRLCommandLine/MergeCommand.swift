import ArgumentParser
import Foundation
import DRLExperiment

/// `drlsim merge DIR... --out DIR [--allow-partial]`: joins shard result sets.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "merge",
        abstract: "Join partial result sets (shards) of one scenario into one set.")

    @Argument(help: "Result folders written by 'drlsim run --shard K/N'.")
    var dirs: [String]

    @Option(help: "The merged result folder.")
    var out: String

    @Flag(help: "Write the merged set even when runs are missing (its manifest then says 'shard: partial').")
    var allowPartial = false

    func run() throws {
        try ResultSet.checkWritable(to: out)   // refuse a bad destination before reading anything
        let interrupts = Interrupts(destinations: [out])
        defer { withExtendedLifetime(interrupts) {} }
        // Streamed: every file verified and merged a row at a time (bounded memory).
        let merged = try ResultMerger.merge(folders: dirs, allowPartial: allowPartial, to: out)
        let runs = merged.runs
        print("\(merged.manifest.scenario): merged \(dirs.count) set\(dirs.count == 1 ? "" : "s"), \(runs) of \(merged.manifest.runCount) runs -> \(out)")
    }
}
