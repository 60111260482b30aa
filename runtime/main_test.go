package runtime

import (
	"testing"

	"github.com/crudgen/crudgen/runtime/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }
