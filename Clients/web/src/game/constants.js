// Numbers the client needs that the protocol does not carry yet.

/**
 * Projectile speed in world units per tick. ASSUMED: the server is to send it (MapInfo tuning);
 * until then this is the one place to change it.
 */
export const PROJECTILE_SPEED = 12;

/** Subunits (the wire's 1/256 resolution) per world unit. */
export const SUBUNITS = 256;
