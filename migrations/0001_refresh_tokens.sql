CREATE TABLE `refresh_tokens` (
	`jti` char(36) NOT NULL,
	`user_id` bigint unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`revoked_at` datetime(3),
	CONSTRAINT `refresh_tokens_jti` PRIMARY KEY(`jti`)
);
--> statement-breakpoint
ALTER TABLE `users` ADD `token_version` int unsigned DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `refresh_tokens_user_id_idx` ON `refresh_tokens` (`user_id`);