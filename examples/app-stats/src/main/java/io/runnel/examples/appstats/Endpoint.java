package io.runnel.examples.appstats;

/**
 * The key of the statistics: a service's endpoint. Its hash code is spelled out (a record's is
 * unspecified) because it decides, in every run, which task owns the endpoint's state.
 */
public record Endpoint(String service, String endpoint) {

    @Override
    public int hashCode() {
        return 31 * service.hashCode() + endpoint.hashCode();
    }
}
