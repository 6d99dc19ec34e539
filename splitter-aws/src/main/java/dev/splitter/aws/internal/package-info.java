/** Internals of the AWS backends; not an API. */
@NullMarked
package dev.splitter.aws.internal;

import org.jspecify.annotations.NullMarked;
