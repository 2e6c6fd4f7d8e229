package leaky

import (
	"testing"

	"example.org/m/api"
	"example.org/m/apiary"
	"example.org/m/cmd/tool"
)

func TestLeak(t *testing.T) { _, _, _ = api.Z, apiary.Z, tool.Z }
