package grid

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/edas92/passerelle/internal/domain"
)

// TestDoc_Examples keeps docs/grid-format.md honest: its minimal grid parses, and each of its
// example conditions is valid on the default grid, whose questions it cites.
func TestDoc_Examples(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../docs/grid-format.md")
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, part := range strings.Split(string(b), "```json\n")[1:] {
		block, _, ok := strings.Cut(part, "```")
		if !ok {
			t.Fatal("unclosed json block")
		}
		blocks = append(blocks, block)
	}
	if len(blocks) < 5 {
		t.Fatalf("%d json blocks, want the grid, an option and the conditions", len(blocks))
	}
	if _, err := Parse([]byte(blocks[0])); err != nil {
		t.Fatalf("minimal grid: %v", err)
	}
	conditions := 0
	for _, block := range blocks[1:] {
		if !strings.HasPrefix(block, `"show_if"`) {
			continue
		}
		conditions++
		var wrapper struct {
			ShowIf domain.Condition `json:"show_if"`
		}
		if err := json.Unmarshal([]byte("{"+block+"}"), &wrapper); err != nil {
			t.Fatalf("%s: %v", block, err)
		}
		g := Default()
		d := &g.Domains[len(g.Domains)-1]
		d.Questions = append(d.Questions, domain.Question{ID: "exemple", Type: domain.QShortText, Label: "Exemple ?", ShowIf: &wrapper.ShowIf})
		if err := Validate(g); err != nil {
			t.Errorf("%s: %v", block, err)
		}
	}
	if conditions < 4 {
		t.Fatalf("%d example conditions checked", conditions)
	}
}
