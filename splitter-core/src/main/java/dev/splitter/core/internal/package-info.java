/** Implementation details of the core; not an API, may change in any release. */
@NullMarked
package dev.splitter.core.internal;

import org.jspecify.annotations.NullMarked;
