// Package suggest turns what a usager said in an interview into ranked suggestions from the
// directory of collaborative initiatives (issue #3): the needs of the interview
// ([]domain.Need, one per grid domain) in, a short list of domain.Suggestion out, each with the
// needs it answers and one line saying why. It is pure computation over a Searcher (the
// in-memory index of internal/search) and never fails.
//
// # Who the person is
//
// Profile holds what ranking needs: the commune (INSEE code), the data·inclusion publics
// (PublicsOf derives them from the year of birth — seniors from 60, jeunes under 26, by the age
// reached during the current year — the household — familles for a parent alone or a couple
// with children — and the publics the answers revealed) and today's date.
//
// # What is searched
//
// Only the needs of the interview count (domain.Need.HasNeed); no needs, no suggestions. For
// each need, in grid order, the directory is asked for the services matching any of its
// thématiques, then, apart, any of its local categories (the index ANDs those two filters, so
// they are separate queries whose hits are merged), and for a give need the places where one
// can give (CanGive). A category that shares a thématique with its need is not asked: a
// service's thématiques include its category's, so the thématique query finds all of them. A
// query two needs share runs once. Every query takes the profile's filters:
//   - publics: the person's publics, or services for everyone (tous-publics, or none stated). A
//     person with no known public is sent only to services for everyone;
//   - when the commune is one of the 36: within Options.NearKm of its centre (Near) and eligible
//     for it (EligibleFor: no zone, the commune, its territory, the département or France).
//     Remote-only services are kept, whatever the distance. Without a known commune ("",
//     domain.CommuneOther or a code outside the département) there is no proximity and no
//     eligibility filter.
//
// Give queries take the same filters: the records cannot tell whether a place reserved to some
// residents or publics takes volunteers from elsewhere, so suggestions stay on the safe side.
//
// Which needs a service answers is then decided on the hit itself, by the index's own rule
// (one of the need's thématiques among the service's and its category's, a category code
// standing for its sub-themes; its local category; a place to give for a give need): a service
// found for one need is credited with every other need it answers, even if that need's query
// did not bring it.
//
// # Candidate pools
//
// Each query brings a pool of candidates, ranked afterwards by the score below:
//   - a need well served close by — at least 50 on-site services answer it within 500 m of the
//     commune's centre — keeps those 50 nearest (which are also the nearest of the whole radius).
//     A person with that much choice next door is not sent farther for a small gain, and the
//     query costs a fraction of one over the whole radius (the index computes fewer distances).
//     In the generated directories this starts at about 5,000 services, for the commonest needs
//     in the busiest communes;
//   - otherwise every match within the radius is a candidate, up to 500 (the index's largest
//     page, the nearest first): in a directory of up to about 4,000 services that is all of them,
//     and the ranking is exact (a test compares it with ranking every page of every query);
//   - the index lists remote-only services after the on-site ones, so that a page full of
//     nearby services leaves them out: with a known commune, three more queries (the needs'
//     thématiques, their categories, giving) bring the first 100 remote-only services of each by
//     name order, so that phone lines are not crowded out;
//   - without a known commune there is no order but the name: each query brings its first 150
//     matches by name order (a larger pool would cost time without choosing better). That is
//     every match for a need in a directory of a few hundred services; beyond, it is a sample,
//     deterministic but arbitrary — the commune matters.
//
// The queries run at once, one per processor (Searcher must be safe for concurrent use, as
// *search.Index is); their hits are merged in the order of the queries, whichever finishes
// first. On the 100,000-service benchmark a computation for a usager of Nanterre takes about
// 4.5 ms (p99 about 15 ms: the slow ones overlap a garbage collection of the benchmark's 200 MB
// heap) on the 2-core development machine; see BenchmarkSuggest100k.
//
// # Score
//
//	score = 12 × needs answered
//	      + nearness      4 / (1 + km / 1.5): 4 at the door, 2 at 1.5 km, 1 at 4.5 km;
//	                      1.6 for a remote-only service (as if 2.25 km away); 0 without a commune
//	      + free          1.5 when frais is « gratuit »
//	      + open soon     the first of the coming 7 days (today first) the service is open:
//	                      2 − 0.15 × days to wait (2 today … 1.1 in six days); else the first day
//	                      it is open some weeks: 1 − 0.05 × days; else 0.5 when some day's hours
//	                      are unknown; 0 when it is closed every day
//	      + freshness     1 × the data·inclusion score (1 under 6 months, 0 at 2 years)
//	      + give          2 for a place to give, on a give need
//
// Each need answered weighs more than every other factor together (at most 10.5): a service
// answering two needs ranks above any service answering one. Nearness comes next: remote-only
// services (phone lines matter to isolated people) count as moderately near, below on-site
// services closer than 2.25 km and above farther ones. Being free outweighs a little distance
// (a free service at 1.2 km beats a paid one at 0.5 km) but not a lot. Freshness is a small
// factor. Scores are rounded to the thousandth; ties are broken by name (folded: case and
// accents ignored), then identifier, then UUID, so the same directory always gives the same
// list.
//
// # Diversity
//
// Every need with results gets its best suggestions before any need gets many: round-robin
// over the needs in grid order, each taking its best service not yet taken, for a fair share of
// rounds (Limit / (2 × needs with results), at least one); then the remaining places go to the
// best services left, whatever their need. A need answered in passing by services picked for
// other needs has had its turn for as many rounds. No service appears twice: one answering several needs
// lists all of them in Domains (grid order). The list keeps the order of picking, at most
// Options.Limit (12 by default) long.
//
// # Why
//
// One short French line, pieces joined with « · »: the need matched (the label of the
// thématique, first letter in lower case, or else of the local category: « lien social »,
// « épicerie solidaire »; one per need answered), the distance (« 1,2 km ») or « à distance »,
// « gratuit », the next opening (« ouvert aujourd’hui », « ouvert demain », « ouvert mardi »,
// « certains mardis »; nothing when unknown), and « pour donner de son temps » for a place to
// give on a give need. The title of a grid domain is never used: for a sensitive domain
// (health) it would name the person's health on a screen or a sheet; a sub-theme label such as
// « accès aux soins » is used instead, also when the need names a whole thématique category.
package suggest
