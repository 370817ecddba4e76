import DRLCommandLine
import DRLScenario

// The registration: DRLSim's standard plug-ins plus this package's driver, action, the
// action's data path and a write workload kind, handed to the whole drlsim command line (run,
// validate, describe --plugins, check, ...).
var plugins = Plugins.standard
plugins.register(driver: AgeOrDirtyDriver.plugin)
plugins.register(action: GoldenImageAction.plugin)
plugins.register(dataPath: GoldenImageDataPath.plugin)
plugins.register(workload: RotatingLogWorkload.plugin)
DRLSim.main(plugins: plugins)
