import DRLCommandLine
import DRLScenario

// The command-line tool with the standard plug-ins; the code lives in DRLCommandLine.
DRLSim.main(plugins: .standard)
