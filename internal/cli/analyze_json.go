package cli

import (
	"encoding/json"
	"io"

	"github.com/hvrdoctor/hvrdoctor/sampler/analysis"
)

// writeAnalysisJSON prints the analysis as the hvrdoctor.analyze/v1
// document (docs/analyze-json.md).
func writeAnalysisJSON(w io.Writer, res *analysis.Result, tool string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res.Document(tool))
}
