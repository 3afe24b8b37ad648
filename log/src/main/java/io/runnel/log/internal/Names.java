package io.runnel.log.internal;

/** Checks topic and group names: they become file names. */
public final class Names {
    private Names() {
    }

    public static void checkName(String what, String name) {
        if (name == null || name.isEmpty() || name.length() > 200 || name.charAt(0) == '.'
                || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            throw new IllegalArgumentException(what + " '" + name + "' is not valid: use 1 to 200 characters from"
                    + " [A-Za-z0-9._-], not starting with '.'");
        }
    }
}
