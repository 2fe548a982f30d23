package io.jnet;

/**
 * The value of {@link Socket#LOOKUP}: a host name was resolved (one event per address found), or the
 * lookup failed. Node's {@code 'lookup'} listener arguments {@code (err, address, family, host)}.
 *
 * @param error   why the lookup failed, or null
 * @param address an address found ({@code 127.0.0.1}, {@code ::1}), or null when the lookup failed
 * @param family  4 or 6; 0 when the lookup failed
 * @param host    the name that was looked up
 */
public record LookupEvent(Throwable error, String address, int family, String host) {
}
