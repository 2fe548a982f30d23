/**
 * Workload drivers, echo servers under test and microbenchmarks; started by {@code run.sh}, never by
 * {@code mvn verify}.
 */
package io.jnet.bench;
