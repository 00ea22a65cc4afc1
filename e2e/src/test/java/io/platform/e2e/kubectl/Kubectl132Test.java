package io.platform.e2e.kubectl;

/** The kubectl suite with kubectl 1.32. */
class Kubectl132Test extends KubectlSuite {

    Kubectl132Test() {
        super("1.32");
    }
}
