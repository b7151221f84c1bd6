package image

import (
	"fmt"
	"sort"
	"strings"

	"github.com/secretlint/secretlint/scan"
)

// scanConfig scans the parts of an image config that build tools fill from
// user input: Env (one entry a line), Labels (key=value a line, sorted),
// Cmd, Entrypoint, and each history entry's created_by, where build
// arguments leak. Findings are located as config:Env, config:History[3], …
// with the line counting entries within the part.
func scanConfig(e *scan.Engine, p *plan) []scan.Finding {
	c := p.cfg.Config
	type part struct {
		path string
		text string
	}
	var parts []part
	if len(c.Env) > 0 {
		parts = append(parts, part{"config:Env", strings.Join(c.Env, "\n")})
	}
	if len(c.Labels) > 0 {
		keys := make([]string, 0, len(c.Labels))
		for k := range c.Labels {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		lines := make([]string, len(keys))
		for i, k := range keys {
			lines[i] = k + "=" + c.Labels[k]
		}
		parts = append(parts, part{"config:Labels", strings.Join(lines, "\n")})
	}
	if len(c.Entrypoint) > 0 {
		parts = append(parts, part{"config:Entrypoint", strings.Join(c.Entrypoint, " ")})
	}
	if len(c.Cmd) > 0 {
		parts = append(parts, part{"config:Cmd", strings.Join(c.Cmd, " ")})
	}
	if c.Healthcheck != nil && len(c.Healthcheck.Test) > 0 {
		parts = append(parts, part{"config:Healthcheck", strings.Join(c.Healthcheck.Test, " ")})
	}
	for i, h := range p.cfg.History {
		text := h.CreatedBy
		if h.Comment != "" {
			text += "\n" + h.Comment
		}
		if text != "" {
			parts = append(parts, part{fmt.Sprintf("config:History[%d]", i), text})
		}
	}
	var out []scan.Finding
	for _, pt := range parts {
		o := &scan.Origin{Source: scan.SourceImage, Path: pt.path, ImageInfo: scan.ImageInfo{Image: p.t.Name, Manifest: p.manifest, LayerIndex: new(-1)}}
		out = append(out, e.Scan(scan.Fragment{Origin: o, Data: []byte(pt.text)})...)
	}
	return out
}
