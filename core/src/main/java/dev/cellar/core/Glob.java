package dev.cellar.core;

/**
 * Redis's glob-style pattern matching ({@code stringmatchlen}): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^a-z]}, {@code \} escapes, byte by byte, optionally case-insensitive.
 */
public final class Glob {
    private Glob() {}

    /** Whether {@code string} matches {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] string, boolean nocase) {
        return match(pattern, 0, string, 0, nocase, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int nesting) {
        if (nesting > 1000) {
            return false;
        }
        while (pi < p.length && si < s.length) {
            switch (p[pi]) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k < s.length; k++) {
                        if (match(p, pi + 1, s, k, nocase, nesting + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi >= p.length) {
                            pi--;
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (eq(p[pi], s[si], nocase)) {
                                matched = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                c = Character.toLowerCase(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                matched = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through
                default:
                    if (!eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == s.length) {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == p.length && si == s.length;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return a == b || (nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff));
    }
}
