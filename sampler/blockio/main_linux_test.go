package blockio

import (
	"testing"

	"github.com/hvrdoctor/hvrdoctor/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m, helpers) }
