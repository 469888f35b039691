package api

import (
	"bytes"
	"net/http"
	"time"

	"github.com/ospo-project/ospo/internal/sbom"
	"github.com/ospo-project/ospo/internal/sbom/cyclonedx"
	"github.com/ospo-project/ospo/internal/sbom/spdx"
)

// sbom writes a project's SBOM: format is cyclonedx (CycloneDX 1.6 JSON)
// or spdx (SPDX 2.3 JSON), served as a download.
func (a *API) sbom(w http.ResponseWriter, r *http.Request) {
	format := r.PathValue("format")
	if format != "cyclonedx" && format != "spdx" {
		writeError(w, http.StatusNotFound, "unknown SBOM format (want cyclonedx or spdx)")
		return
	}
	p, err := a.cat.Project(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, err)
		return
	}
	opts := sbom.Options{ToolVersion: a.toolVersion, Now: time.Now().UTC()}
	var buf bytes.Buffer
	name := "cdx.json"
	if format == "spdx" {
		err, name = spdx.Write(&buf, p, opts), "spdx.json"
	} else {
		err = cyclonedx.Write(&buf, p, opts)
	}
	if err != nil {
		a.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="`+r.PathValue("id")+"."+name+`"`)
	w.Write(buf.Bytes())
}
