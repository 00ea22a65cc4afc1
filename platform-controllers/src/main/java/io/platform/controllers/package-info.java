/** The controller manager: runs the workload controllers against the API. */
@NullMarked
package io.platform.controllers;

import org.jspecify.annotations.NullMarked;
