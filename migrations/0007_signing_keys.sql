CREATE TABLE `signing_keys` (
	`kid` varchar(64) NOT NULL,
	`generation` int unsigned NOT NULL,
	`alg` varchar(16) NOT NULL,
	`public_jwk` text NOT NULL,
	`private_jwk_encrypted` text NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`activates_at` datetime(3) NOT NULL,
	`retired_at` datetime(3),
	`revoked_at` datetime(3),
	CONSTRAINT `signing_keys_kid` PRIMARY KEY(`kid`),
	CONSTRAINT `signing_keys_generation_unique` UNIQUE(`generation`)
);
