// Package audit scans many targets (git repositories, images, directories,
// logs) listed in a targets file, splits them over shards that separate
// machines run (Kubernetes Indexed Jobs, CI matrices), and merges the
// shards' reports into the report one run over every target would give.
// It plans and combines; scanning each target is the pipeline's work and
// the command line's choice of sources.
package audit
