package io.jnet.testkit;

/**
 * When a kit server starts and stops under JUnit: registered in a static field it receives
 * {@code beforeAll}/{@code afterAll} and lives for the class (nested classes included, hence the depth);
 * registered in an instance field it receives only the per-test callbacks and lives for one test.
 * Not for parallel test execution within one class.
 */
final class TestScope {
    private enum State { STOPPED, CLASS, TEST }

    private final Runnable start;
    private final Runnable stop;
    private State state = State.STOPPED;
    private int classDepth;

    TestScope(Runnable start, Runnable stop) {
        this.start = start;
        this.stop = stop;
    }

    synchronized void beforeAll() {
        if (classDepth++ == 0 && state == State.STOPPED) {
            start.run();
            state = State.CLASS;
        }
    }

    synchronized void afterAll() {
        if (--classDepth == 0 && state == State.CLASS) {
            state = State.STOPPED;
            stop.run();
        }
    }

    synchronized void beforeEach() {
        if (state == State.STOPPED) {
            start.run();
            state = State.TEST;
        }
    }

    synchronized void afterEach() {
        if (state == State.TEST) {
            state = State.STOPPED;
            stop.run();
        }
    }
}
