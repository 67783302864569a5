CREATE TABLE `audit_log` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`actor_id` bigint unsigned NOT NULL,
	`actor_email` varchar(254) NOT NULL,
	`action` varchar(64) NOT NULL,
	`target_id` bigint unsigned NOT NULL,
	`target_email` varchar(254) NOT NULL,
	`changes` text NOT NULL,
	`request_id` varchar(64) NOT NULL,
	CONSTRAINT `audit_log_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE INDEX `audit_log_created_at_idx` ON `audit_log` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `users_created_at_idx` ON `users` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `users_last_login_idx` ON `users` (`last_login`,`id`);--> statement-breakpoint
CREATE INDEX `users_role_created_at_idx` ON `users` (`role`,`created_at`,`id`);