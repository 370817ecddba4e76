// local placeholder (untracked) so the package builds
