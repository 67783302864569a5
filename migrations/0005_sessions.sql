CREATE TABLE `sessions` (
	`id` char(36) NOT NULL,
	`kind` varchar(8) NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`last_seen_at` datetime(3),
	`expires_at` datetime(3),
	`revoked_at` datetime(3),
	`revoked_reason` varchar(32),
	`user_agent` varchar(255) NOT NULL,
	`ip` varchar(45),
	`refresh_jti` char(36),
	`previous_jti` char(36),
	`rotated_at` datetime(3),
	`secret_digest` char(64),
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`),
	CONSTRAINT `sessions_refresh_jti_unique` UNIQUE(`refresh_jti`),
	CONSTRAINT `sessions_secret_digest_unique` UNIQUE(`secret_digest`)
);
--> statement-breakpoint
-- Every live sign-in of the old tables becomes a session row, so that tokens issued before the
-- upgrade keep working: a refresh token's session takes its jti as id (a pre-upgrade refresh token
-- has no `sid`, so the Worker looks its session up by jti), a key's session its digest. Admin-site
-- sessions were KV records: each moves into a row on its first request (src/services/staff-sessions.ts).
INSERT INTO `sessions` (`id`, `kind`, `user_id`, `created_at`, `last_seen_at`, `expires_at`, `user_agent`, `refresh_jti`)
SELECT `jti`, 'jwt', `user_id`, `created_at`, `created_at`, `expires_at`, '', `jti` FROM `refresh_tokens`
WHERE `revoked_at` IS NULL AND `expires_at` > CURRENT_TIMESTAMP(3);--> statement-breakpoint
INSERT INTO `sessions` (`id`, `kind`, `user_id`, `created_at`, `last_seen_at`, `expires_at`, `user_agent`, `secret_digest`)
SELECT UUID(), 'token', `user_id`, `created_at`, `last_used_at`, `expires_at`, '', `digest` FROM `api_tokens`
WHERE `revoked_at` IS NULL AND `expires_at` > CURRENT_TIMESTAMP(3);--> statement-breakpoint
DROP TABLE `api_tokens`;--> statement-breakpoint
DROP TABLE `refresh_tokens`;--> statement-breakpoint
CREATE INDEX `sessions_user_created_idx` ON `sessions` (`user_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sessions_expires_at_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `sessions_revoked_at_idx` ON `sessions` (`revoked_at`);