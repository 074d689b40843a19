<?php
// WordPress configured from the environment, with the official image's variable names.
function env_or($name, $default) {
	$value = getenv($name);
	return $value === false ? $default : $value;
}
define('DB_NAME', env_or('WORDPRESS_DB_NAME', 'wordpress'));
define('DB_USER', env_or('WORDPRESS_DB_USER', 'example username'));
define('DB_PASSWORD', env_or('WORDPRESS_DB_PASSWORD', 'example password'));
define('DB_HOST', env_or('WORDPRESS_DB_HOST', 'mysql'));
define('DB_CHARSET', env_or('WORDPRESS_DB_CHARSET', 'utf8mb4'));
define('DB_COLLATE', env_or('WORDPRESS_DB_COLLATE', ''));
foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $key) {
	define($key, env_or('WORDPRESS_' . $key, 'put your unique phrase here'));
}
$table_prefix = env_or('WORDPRESS_TABLE_PREFIX', 'wp_');
define('WP_DEBUG', (bool) env_or('WORDPRESS_DEBUG', ''));
// Behind a TLS-terminating proxy the site is still https.
if (isset($_SERVER['HTTP_X_FORWARDED_PROTO']) && strpos($_SERVER['HTTP_X_FORWARDED_PROTO'], 'https') !== false) {
	$_SERVER['HTTPS'] = 'on';
}
if (!defined('ABSPATH')) {
	define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
