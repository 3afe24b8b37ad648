package io.runnel.examples.webactivity;

/**
 * One page view, as a website's tracking beacon reports it:
 * {@code {"ts": <epoch ms>, "user": "<id>", "url": "<path>", "referrer": "<url or empty>", "userAgent": "<ua>"}}.
 *
 * @param ts        when the page was viewed, epoch milliseconds (UTC)
 * @param user      the visitor's id
 * @param url       the page's path
 * @param referrer  where the visitor came from, or empty
 * @param userAgent the browser's user agent, or empty
 */
public record PageView(long ts, String user, String url, String referrer, String userAgent) {
}
