package io.dmm.core.config;

import java.util.Collection;

/** Suggests the nearest known name for a misspelt one, by edit distance. */
final class DidYouMean {
    private DidYouMean() {
    }

    /**
     * The candidate closest to {@code word} if it is close enough to be a plausible typo (at most a
     * third of the word's length, at least 1, and at most 3 edits, and fewer edits than either name
     * is long), else a candidate that the word is the beginning of ("module" for "module_config"),
     * else null. Case is ignored.
     */
    static String suggest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(java.util.Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = Math.min(3, Math.max(1, word.length() / 3));
        if (best != null && bestDistance <= limit && bestDistance < Math.min(word.length(), best.length())) {
            return best;
        }
        if (w.length() >= 3) {
            for (String c : candidates) {
                if (c.toLowerCase(java.util.Locale.ROOT).startsWith(w)) {
                    return c;
                }
            }
        }
        return null;
    }

    /** Levenshtein distance (insertions, deletions, substitutions), plus adjacent swaps as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
