/** What a user sees of the node agent through the real kubectl, run once per runtime. */
@NullMarked
package io.platform.agent.scenarios;

import org.jspecify.annotations.NullMarked;
