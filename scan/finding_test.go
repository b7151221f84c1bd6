package scan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestApplyOriginCopiesEveryBlock fills every field of an origin and
// checks a finding gets them all, so a field added to a block reaches the
// report without another assignment, and that findings of one fragment do
// not share the origin's pointers.
func TestApplyOriginCopiesEveryBlock(t *testing.T) {
	o := &Origin{
		Source: SourceImage,
		Path:   "/etc/app.conf",
		GitInfo: GitInfo{Commit: "0123456789abcdef0123456789abcdef01234567", Author: "Ada", Email: "ada@example.org",
			Date: "2024-05-01T10:00:00Z", CommitTitle: "add config", Commits: 3, Paths: 2, InHead: new(true)},
		ImageInfo: ImageInfo{Image: "registry.local/app:1", Manifest: "sha256:aa", Layer: "sha256:bb", LayerIndex: new(0),
			CreatedBy: "COPY app.conf /etc/", Deleted: true, DeletedBy: "sha256:cc"},
	}
	var f Finding
	f.ApplyOrigin(o)
	want := Finding{Source: o.Source, Location: Location{Path: o.Path}, GitInfo: o.GitInfo, ImageInfo: o.ImageInfo}
	if d := cmp.Diff(want, f); d != "" {
		t.Errorf("finding after ApplyOrigin (-want +got):\n%s", d)
	}
	*f.LayerIndex, *f.InHead = 5, false
	if *o.LayerIndex != 0 || !*o.InHead {
		t.Errorf("changing the finding changed its origin: layer_index %d, in_head %v", *o.LayerIndex, *o.InHead)
	}
	var g Finding
	g.ApplyOrigin(&Origin{Source: SourceFile, Path: "a.py"})
	if g.LayerIndex != nil || g.InHead != nil {
		t.Errorf("a file finding got layer_index %v, in_head %v", g.LayerIndex, g.InHead)
	}
}
