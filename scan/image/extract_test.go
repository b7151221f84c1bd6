package image

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/secretlint/secretlint/scan/scantest"
)

// TestNotebookInLayer: a notebook in a layer is read through the
// extractors, so the AWS key behind its escaped quotes is found at its
// raw line; the same bytes under a .txt name in the same layer are scanned
// raw and give nothing, so the content cache keeps the two apart.
func TestNotebookInLayer(t *testing.T) {
	secret := scantest.FakeAWSSecret(2)
	nb := string(scantest.Notebook(scantest.NotebookAWSCell(secret)))
	line, _ := scantest.Position([]byte(nb), secret)
	l := layer(t, []entry{file("srv/explore.txt", nb), file("srv/explore.ipynb", nb), file("srv/copy.ipynb", nb)})
	img := buildImage(t, v1.Config{}, step{l, "COPY notebooks/ /srv/"})
	out := scanImages(t, []Target{{Name: "nb", Image: img}}, WithPolicy(false))
	want := []row{
		{Rule: "aws-secret-access-key", Path: "/srv/copy.ipynb", Line: line, LayerIndex: 0, CreatedBy: "COPY notebooks/ /srv/"},
		{Rule: "aws-secret-access-key", Path: "/srv/explore.ipynb", Line: line, LayerIndex: 0, CreatedBy: "COPY notebooks/ /srv/"},
	}
	if diff := cmp.Diff(want, rows(out.Findings())); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
