// Package search is the directory's search engine: what the directory screen asks as the social
// worker types — text, filters, proximity — answered with ranked hits, reasons and facet counts,
// offline, over up to 100,000 services.
//
// # Why an in-memory index, not SQLite FTS5
//
// The records live in SQLite (internal/sqlite); the search runs on an index held in memory, built
// from the domain records at start-up (Replace) and kept up to date after each write (Upsert,
// Remove). FTS5 would answer a bare word query over 50,000 rows in about 2 ms on modernc's
// pure-Go SQLite, but the screen needs more than that on every keystroke:
//   - facet counts: each of the eight facet dimensions must be counted with every filter except
//     its own (disjunctive faceting). Through SQL that is eight GROUP BY queries over the matching
//     rows joined to multi-valued columns (thématiques, publics), each a scan of up to 100,000
//     rows: by the figure above, several milliseconds each, far over the 5 ms budget together
//     (an estimate, not a measurement);
//   - typo tolerance: FTS5 matches whole tokens or prefixes; its trigram tokenizer finds
//     substrings, not edit distances, and nothing handles a typo inside a word being typed
//     (« epicr » → épicerie);
//   - the ranking mixes field weights, match quality, distance, freshness and a name order, and
//     puts remote-only services apart: SQL would have to return every match to Go anyway.
//
// Here one pass over the candidate services applies the filters and counts every facet, so a
// query costs well under a millisecond for a few thousand matches and about 1 ms for the whole
// directory of 100,000 (BenchmarkSearch100k: p99 under 3 ms for every query family on the 2-core
// development machine). The index takes about 90 MiB and 1.5 s to build at 100,000 services
// (BenchmarkBuild100k); real directories are a few thousand services.
//
// # Text
//
// Indexed fields, from the heaviest: the service's name (weight 10), its structure's name (6),
// its commune (5: the commune of its effective location, by INSEE code, and the record's own
// spelling), its description (2), and the labels of its local category and effective thématiques
// (1). Text is cut into tokens by textfold.Tokens (case, accents and ligatures folded, stop words
// dropped), so « Cœur », « coeur » and « CŒUR » are one word, and « Saint-Cloud » is « saint »
// « cloud ».
//
// Every query token must match (AND); a token matches a word of a field
//   - exactly (quality 100 %);
//   - as its beginning, the user still typing, for tokens of 2 letters or more (70 %);
//   - with a typo, for tokens of 4 letters or more: Damerau–Levenshtein distance 1 (45 %), 2 from
//     8 letters (35 %), between the token and the word or one of its beginnings, so that a typo
//     in a word being typed is forgiven (« epicr » → épicerie, « jardn » → jardins).
//
// The typo rule: the typo pass runs for a token of 4+ letters unless the token is itself a word
// of the directory. A word that exists is taken as meant (« part » does not bring « parc »); a
// token that is no word is either unfinished or misspelt, and both deserve the typo pass, even
// when some word starts with it: « epicrie » finds the épiceries although « épicriens » starts
// with it (the prefix match ranks first). The first letter must be right: typos there are rare,
// and the rule keeps the pass fast and its matches relevant. The pass walks the sorted dictionary
// as a trie (the words under a beginning are a contiguous range), one row of the edit-distance
// table per depth, pruning a branch as soon as its whole row exceeds the budget.
//
// A token's score for a service is its best field weight × match quality; the text score is the
// sum over tokens. Tokens are scattered over their postings from the rarest, each next token only
// keeping the services that matched all the previous ones. At most 16 distinct tokens are used.
//
// # Filters and facets
//
// Themes (OR; a category code matches its sub-themes; effective thématiques are the service's
// own and those of its local category, explicit or vocab.InferCategory), Categories (OR),
// Publics (OR; tous-publics or none stated matches every public), FreeOnly, Mode (no mode stated
// but a place: en-presentiel), Commune (effective INSEE code), OpenOn (closed excluded; unknown or
// some weeks kept and marked) and CanGive are facet dimensions: each facet counts the services
// that pass every filter but its own. Near (centre: the commune's centroid; position: the
// service's effective coordinates, else its commune's centroid; unplaced on-site services
// excluded; remote-only services kept and listed after the on-site ones) and EligibleFor (no zone,
// or the usager's commune, département, territory (EPT), "france" or "99100") only filter. Codes
// unknown to the index match nothing. Facet maps list the values with a count, and the seven
// weekdays always.
//
// # Ranking
//
// With text: score, then distance (proximity search), then freshness (domain.FreshnessOf at query
// time), then the name order; without text: distance, then the name order. The name order is the
// folded name, then the identifier, then the UUID: a total order, so that the same directory
// gives the same ranking whatever order it was loaded in, and pages never overlap. Each hit says
// why it is there, in French (Hit.Why). SearchResult.Remote counts the remote-only matches of any
// search; they are listed apart only in a proximity search.
//
// # Concurrency and updates
//
// Searches hold a read lock; writers are serialised. A full build (Replace, or an Upsert of a
// large batch) is made outside the read lock and swapped in, so searches go on meanwhile. A small
// Upsert or Remove is applied in place under the write lock: a new version of a service takes a
// new slot and the old one is marked dead (skipped by searches). An edit then costs about 0.25 ms
// at 100,000 services (BenchmarkUpsert100k) where a copy-on-write rebuild would cost 1.5 s and
// twice the memory. Once dead slots exceed a quarter of the live ones, the index is rebuilt to
// reclaim them.
package search
