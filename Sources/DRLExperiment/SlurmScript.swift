/// The Slurm batch scripts that run a scenario's sweep as an array job, one task per shard,
/// plus a merge job that depends on it (`sbatch --dependency=afterok:<array job>`).
///
/// Layout for `--out DIR`: shard `K` writes `DIR.shards/K/`, logs and scripts go to
/// `DIR.shards/slurm/`, the merge writes the complete set to `DIR`. Each task runs
/// `drlsim run FILE --shard $SLURM_ARRAY_TASK_ID/N --jobs $SLURM_CPUS_PER_TASK`; a task whose
/// shard is already complete is skipped, so resubmitting after preemption only redoes what is
/// missing. Plain bash ignores the `#SBATCH` lines, so the scripts also run without Slurm
/// (set `SLURM_ARRAY_TASK_ID` by hand).
public struct SlurmScript: Sendable {
    /// Absolute path of the drlsim executable the tasks run.
    public var executable: String
    /// Absolute path of the scenario file.
    public var file: String
    /// The scenario name (job names).
    public var name: String
    /// Arguments passed through to `drlsim run` (`--set`, `--seed`, `--replications`).
    public var passThrough: [String]
    /// Number of shards (array tasks).
    public var shards: Int
    /// Absolute path of the final result folder.
    public var out: String
    /// `--partition`, if any.
    public var partition: String?
    /// `--time`, if any (Slurm syntax, e.g. `01:00:00`).
    public var time: String?
    /// CPUs per task (the tasks' `--jobs`).
    public var cpusPerTask: Int
    /// The working directory the tasks `cd` into.
    public var workingDirectory: String

    /// A description of the scripts to write.
    public init(executable: String, file: String, name: String, passThrough: [String], shards: Int, out: String,
                partition: String?, time: String?, cpusPerTask: Int, workingDirectory: String) {
        self.executable = executable
        self.file = file
        self.name = name
        self.passThrough = passThrough
        self.shards = shards
        self.out = out
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.workingDirectory = workingDirectory
    }

    /// The folder holding the shards' partial sets.
    public var shardFolder: String { out + ".shards" }
    /// The folder holding the scripts and logs.
    public var slurmFolder: String { shardFolder + "/slurm" }

    /// Single-quotes `s` for bash.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-=:,+@%".contains($0) }) { return s }
        return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private var common: String {
        var s = ""
        if let partition { s += "#SBATCH --partition=\(partition)\n" }
        if let time { s += "#SBATCH --time=\(time)\n" }
        return s
    }

    /// The array job script.
    public var arrayScript: String {
        let q = SlurmScript.quote
        var s = "#!/bin/bash\n"
        s += "#SBATCH --job-name=\(q("drlsim-\(name)"))\n"
        s += "#SBATCH --array=0-\(shards - 1)\n"
        s += "#SBATCH --cpus-per-task=\(cpusPerTask)\n"
        s += common
        s += "#SBATCH --output=\(q(slurmFolder))/shard-%a.log\n"
        s += "# One task per shard: runs whose index r has r % \(shards) == task id (drlsim run --shard).\n"
        s += "set -euo pipefail\n"
        s += "cd \(q(workingDirectory))\n"
        s += "exec \(q(executable)) run \(q(file)) --shard \"${SLURM_ARRAY_TASK_ID}/\(shards)\" --jobs \"${SLURM_CPUS_PER_TASK:-\(cpusPerTask)}\""
        s += " --out \(q(shardFolder))/\"${SLURM_ARRAY_TASK_ID}\""
        for a in passThrough { s += " \(q(a))" }
        return s + "\n"
    }

    /// The merge job script (submit with `--dependency=afterok:<array job id>`).
    public var mergeScript: String {
        let q = SlurmScript.quote
        var s = "#!/bin/bash\n"
        s += "#SBATCH --job-name=\(q("drlsim-\(name)-merge"))\n"
        s += "#SBATCH --cpus-per-task=1\n"
        s += common
        s += "#SBATCH --output=\(q(slurmFolder))/merge.log\n"
        s += "set -euo pipefail\n"
        s += "cd \(q(workingDirectory))\n"
        s += "exec \(q(executable)) merge"
        for k in 0..<shards { s += " \(q(shardFolder))/\(k)" }
        s += " --out \(q(out))\n"
        return s
    }
}
