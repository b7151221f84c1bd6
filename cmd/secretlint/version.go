package main

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// toolVersion is the version reports carry: the -ldflags value when set,
// else the module version a `go install …@vX` build records (with the VCS
// revision for a build from a checkout), else "dev".
func toolVersion() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	v := bi.Main.Version
	if v == "" || v == "(devel)" {
		v = version
	}
	if rev := buildSetting(bi, "vcs.revision"); rev != "" && v == version {
		v += "+" + rev[:min(12, len(rev))]
		if buildSetting(bi, "vcs.modified") == "true" {
			v += "-dirty"
		}
	}
	return v
}

// versionText is what `secretlint version` prints.
func versionText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "secretlint %s\n", toolVersion())
	if bi, ok := debug.ReadBuildInfo(); ok {
		if rev := buildSetting(bi, "vcs.revision"); rev != "" {
			fmt.Fprintf(&b, "revision: %s\n", rev)
		}
		if t := buildSetting(bi, "vcs.time"); t != "" {
			fmt.Fprintf(&b, "built from a commit of: %s\n", t)
		}
		fmt.Fprintf(&b, "go: %s\n", bi.GoVersion)
	}
	return b.String()
}

func buildSetting(bi *debug.BuildInfo, key string) string {
	for _, s := range bi.Settings {
		if s.Key == key {
			return s.Value
		}
	}
	return ""
}
