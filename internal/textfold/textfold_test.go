package textfold

import (
	"reflect"
	"testing"
)

func TestFold(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"Épicerie", "epicerie"},
		{"ÉPICERIE SOLIDAIRE", "epicerie solidaire"},
		{"Cœur", "coeur"},
		{"ŒUVRE", "oeuvre"},
		{"Lætitia", "laetitia"},
		{"Sèvres", "sevres"},
		{"Châtenay-Malabry", "chatenay-malabry"},
		{"l’Accorderie", "l'accorderie"},
		{"Ville-d'Avray", "ville-d'avray"},
		{"plain ascii", "plain ascii"},
		{"Noël à Çà", "noel a ca"},
		{"e\u0301picerie", "epicerie"}, // decomposed input: e + combining acute
		{"", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Épicerie solidaire Le Panier du Cœur", []string{"epicerie", "solidaire", "panier", "coeur"}},
		{"l’épicerie de Saint-Cloud", []string{"epicerie", "saint", "cloud"}},
		{"Code 92190, Meudon", []string{"code", "92190", "meudon"}},
		{"  --  ", nil},
		{"la le les", nil},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"La Garenne-Colombes", "la garenne colombes"},
		{"  issy   LES moulineaux ", "issy les moulineaux"},
		{"Ville-d'Avray", "ville d avray"},
		{"Ville d’Avray", "ville d avray"},
	} {
		if got := Key(tc.in); got != tc.want {
			t.Errorf("Key(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Épicerie solidaire « Le Panier du Cœur » : des courses à petit prix, des ateliers cuisine et budget, au cœur de Châtenay-Malabry."
	b.ReportAllocs()
	for b.Loop() {
		_ = Tokens(s)
	}
}
