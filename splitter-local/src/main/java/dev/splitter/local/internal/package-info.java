/** Implementation details of the local gateway; not an API, may change in any release. */
@NullMarked
package dev.splitter.local.internal;

import org.jspecify.annotations.NullMarked;
