package io.platform.e2e.kubectl;

/** The kubectl suite with kubectl 1.30. */
class Kubectl130Test extends KubectlSuite {

    Kubectl130Test() {
        super("1.30");
    }
}
