/** Implementation details of the model; not an API, may change in any release. */
@NullMarked
package dev.splitter.model.internal;

import org.jspecify.annotations.NullMarked;
