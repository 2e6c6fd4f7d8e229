package audit

import "context"

type actorKey struct{}

// WithActor returns ctx carrying by, for a store whose changes are made
// through an interface that cannot name who makes them (keys.Store, which
// the public keys package defines): the signing-key store audits each key
// change in its transaction as the actor found here. The actor is a value
// of the request, never a dependency.
func WithActor(ctx context.Context, by Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, by)
}

// ActorFrom is the actor WithActor put in ctx, or System when there is none.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}
