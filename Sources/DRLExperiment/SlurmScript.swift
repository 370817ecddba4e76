import Foundation

/// The Slurm job scripts that run one scenario's sweep as an array job, one shard per task,
/// followed by a merge job that runs only when every shard succeeded.
///
/// Rendering is pure: the same options give the same text, and nothing is read or written.
/// The array script runs `drlsim run FILE --out SHARDS/shard-$SLURM_ARRAY_TASK_ID
/// --shard $SLURM_ARRAY_TASK_ID/N`; the merge script runs `drlsim merge SHARDS/shard-0 ...
/// SHARDS/shard-(N-1) --out OUT`, and is submitted with `--dependency=afterok:<array job>`, which
/// holds it until every task of the array has exited 0 (sbatch(1), `--dependency`, "afterok: ...
/// For job arrays, all tasks of the array must have completed successfully"). Issue 8 gives the
/// contract; Docs/cluster.md documents the layout for users.
public struct SlurmScript: Sendable, Equatable {
    /// The options the scripts are rendered from, validated.
    public let options: SlurmOptions

    /// Validates `options` and keeps them for rendering.
    /// - Throws: `SlurmScriptError` naming the first bad option.
    public init(options: SlurmOptions) throws(SlurmScriptError) {
        try options.validate()
        self.options = options
    }

    /// The directory that receives the Slurm logs (`shard-<task>.out`, `merge.out`); it must exist
    /// before the jobs are submitted, because Slurm opens `--output` files without creating folders.
    public var logDirectory: String { options.resolvedShardDirectory + "/logs" }

    /// The job name shared by both jobs, derived from the scenario file's base name.
    public var jobName: String {
        var base = Substring(options.scenarioFile.split(separator: "/").last ?? "scenario")
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = base[..<dot] }
        let safe = base.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "_"
        }
        return "drlsim-" + String(safe)
    }

    /// The `#SBATCH` lines both jobs share: partition, time limit and one task.
    private var commonDirectives: [String] {
        var lines: [String] = []
        if let partition = options.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let time = options.time { lines.append("#SBATCH --time=\(time)") }
        lines.append("#SBATCH --ntasks=1")
        return lines
    }

    /// A job script's first lines: the shell, the job's name, this job's own `directives`, then
    /// the ones both jobs share.
    private func header(_ name: String, _ directives: [String] = []) -> [String] {
        ["#!/bin/bash", "#SBATCH --job-name=\(name)"] + directives + commonDirectives
    }

    /// The batch script of the array job: task K runs shard K of N.
    public var arrayScript: String {
        let n = options.shards
        let shardDir = SlurmScript.shellQuote(options.resolvedShardDirectory)
        var lines = header(jobName, ["#SBATCH --array=0-\(n - 1)"])
        if let cpus = options.cpusPerTask { lines.append("#SBATCH --cpus-per-task=\(cpus)") }
        lines.append("#SBATCH --output=\(logDirectory)/shard-%a.out")
        lines += [
            "# Task K runs the runs of shard K/\(n) (run index % \(n) == K) into its own folder;",
            "# a rerun of a task whose shard is complete skips it (resume after preemption).",
            "set -euo pipefail",
            "shard=\"${SLURM_ARRAY_TASK_ID:?not running as a Slurm array task}\"",
        ]
        var command = [
            SlurmScript.shellQuote(options.drlsimPath), "run", SlurmScript.shellQuote(options.scenarioFile),
            "--out", shardDir + "/shard-\"$shard\"",
            "--shard", "\"$shard\"/\(n)",
            "--jobs", "\"${SLURM_CPUS_PER_TASK:-1}\"",
        ]
        command += options.runArguments.map(SlurmScript.shellQuote)
        lines.append("exec " + command.joined(separator: " "))
        return lines.joined(separator: "\n") + "\n"
    }

    /// The batch script of the merge job; submit it with `mergeSubmitArguments(afterArrayJob:)`.
    public var mergeScript: String {
        let n = options.shards
        let shardDir = SlurmScript.shellQuote(options.resolvedShardDirectory)
        var lines = header("\(jobName)-merge")
        lines += [
            "#SBATCH --output=\(logDirectory)/merge.out",
            "# Joins the \(n) shard result sets into one; drlsim merge reports missing or duplicate runs.",
            "set -euo pipefail",
            "shards=()",
            "for ((k = 0; k < \(n); k++)); do shards+=(\(shardDir)/shard-\"$k\"); done",
            "exec " + [
                SlurmScript.shellQuote(options.drlsimPath), "merge", "\"${shards[@]}\"",
                "--out", SlurmScript.shellQuote(options.outDirectory),
            ].joined(separator: " "),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `sbatch` arguments that submit the array script from standard input.
    public var arraySubmitArguments: [String] { ["--parsable"] }

    /// The `sbatch` arguments that submit the merge script from standard input, held until every
    /// task of array job `arrayJobID` has succeeded.
    public func mergeSubmitArguments(afterArrayJob arrayJobID: String) -> [String] {
        ["--parsable", "--dependency=afterok:\(arrayJobID)"]
    }

    /// A self-contained shell script that creates the log folder and submits both jobs; this is
    /// what `drlsim slurm` prints without `--submit`, for users to adapt to their site.
    public var submissionScript: String {
        let quotedLogs = SlurmScript.shellQuote(logDirectory)
        return """
            #!/bin/bash
            # Generated by drlsim slurm: runs \(options.scenarioFile) as \(options.shards) shards on Slurm,
            # then merges them into \(options.outDirectory). Run this file (bash FILE) to submit both jobs.
            set -euo pipefail
            mkdir -p \(quotedLogs)

            array_job=$(sbatch --parsable <<'DRLSIM_ARRAY'
            \(arrayScript)DRLSIM_ARRAY
            )
            array_job=${array_job%%;*}

            # If sbatch rejects the merge job, cancel the array: nobody would merge its results.
            if ! merge_job=$(sbatch --parsable --dependency=afterok:"$array_job" <<'DRLSIM_MERGE'
            \(mergeScript)DRLSIM_MERGE
            ); then
              scancel "$array_job" || true
              echo "merge job rejected by sbatch; cancelled array job $array_job" >&2
              exit 1
            fi
            merge_job=${merge_job%%;*}

            echo "array_job=$array_job"
            echo "merge_job=$merge_job"

            """
    }

    /// The job id in the output of `sbatch --parsable` (`jobid` or `jobid;cluster`).
    /// - Throws: `SlurmScriptError.unparsableJobID` when the text holds no numeric job id.
    public static func jobID(fromParsable output: String) throws(SlurmScriptError) -> String {
        let line = output.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let id = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .unparsableJobID(output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return id
    }

    /// `text` quoted for a POSIX shell: unchanged when it holds only safe characters, otherwise
    /// in single quotes with each `'` written as `'\''`.
    public static func shellQuote(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { s in
            s.isASCII && (CharacterSet.shellSafe.contains(s))
        }
        if safe { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension CharacterSet {
    /// Characters that need no quoting in a POSIX shell word.
    fileprivate static let shellSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./-_")
}
