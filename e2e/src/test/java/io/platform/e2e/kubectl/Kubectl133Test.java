package io.platform.e2e.kubectl;

/** The kubectl suite with kubectl 1.33. */
class Kubectl133Test extends KubectlSuite {

    Kubectl133Test() {
        super("1.33");
    }
}
