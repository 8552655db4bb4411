package dev.gatehouse.enforce.catalog;

/** A view's SELECT as the server prints it, without the trailing semicolon pg_get_viewdef adds. Stateless; any thread. */
final class ViewText {
    private ViewText() {
    }

    static String trim(String text) {
        if (text == null) {
            return null;
        }
        int end = text.length();
        while (end > 0 && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ';')) {
            end--;
        }
        int start = 0;
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        return text.substring(start, end);
    }
}
